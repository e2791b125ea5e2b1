// An RAII temporary directory per test: created empty, removed with everything in it.
#pragma once

#include <filesystem>
#include <string>

namespace passerelle::test {

class TempDir {
  public:
    TempDir();
    ~TempDir();
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;

    const std::filesystem::path& path() const { return m_path; }
    std::filesystem::path operator/(const std::string& name) const { return m_path / name; }

    // Writes `content` to `relative` (parents created) and returns the full path.
    std::filesystem::path write(const std::string& relative, const std::string& content) const;

  private:
    std::filesystem::path m_path;
};

// The repository's own folders, for tests that read the bundled content.
std::filesystem::path source_dir();

}  // namespace passerelle::test
