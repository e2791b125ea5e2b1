// A read-only memory map of a whole file, so that large JSON Lines files are hashed and read
// without copies and without holding them in the heap.
#pragma once

#include <filesystem>
#include <string_view>

namespace passerelle {

class MappedFile {
  public:
    // Throws Error naming the file when it cannot be opened or mapped.
    explicit MappedFile(const std::filesystem::path& path);
    ~MappedFile();
    MappedFile(const MappedFile&) = delete;
    MappedFile& operator=(const MappedFile&) = delete;

    std::string_view bytes() const { return {static_cast<const char*>(m_data), m_size}; }

  private:
    void* m_data = nullptr;
    std::size_t m_size = 0;
};

}  // namespace passerelle
