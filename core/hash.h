// Content hashes for change detection (SHA-256, hex). The only file that uses OpenSSL here.
#pragma once

#include <string>
#include <string_view>

namespace passerelle {

std::string content_hash(std::string_view bytes);

}  // namespace passerelle
