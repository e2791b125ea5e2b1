# Every third-party library the project links, found once and exposed as a target.
# All come from Debian 12 packages; scripts/install-deps lists them.
find_package(Threads REQUIRED)
find_package(PkgConfig REQUIRED)

# Xapian's CMake config sets variables only: wrap them in an imported target.
find_package(Xapian CONFIG REQUIRED)
if(NOT TARGET Passerelle::xapian)
  add_library(Passerelle::xapian INTERFACE IMPORTED)
  target_include_directories(Passerelle::xapian INTERFACE ${XAPIAN_INCLUDE_DIR})
  target_link_libraries(Passerelle::xapian INTERFACE ${XAPIAN_LIBRARIES})
endif()

find_package(ICU REQUIRED COMPONENTS uc i18n)
find_package(SQLiteCpp 3 REQUIRED)
find_package(yaml-cpp REQUIRED)
find_package(nlohmann_json 3 REQUIRED)
find_package(CLI11 REQUIRED)
find_package(OpenSSL REQUIRED)
pkg_check_modules(CMARK_GFM REQUIRED IMPORTED_TARGET libcmark-gfm)
# XML (IATI activity files, IATI export, OAI-PMH responses): libxml2, read as a stream.
pkg_check_modules(LIBXML2 REQUIRED IMPORTED_TARGET libxml-2.0)
# Accounts: Argon2id password hashes and random tokens (core/password_hash.h).
pkg_check_modules(SODIUM REQUIRED IMPORTED_TARGET libsodium)
# Text of PDF attachments (indexer/pdf_text.cpp).
pkg_check_modules(POPPLER_CPP REQUIRED IMPORTED_TARGET poppler-cpp)

# jemalloc: Xapian's inverter allocates heavily; jemalloc made a full index build ~18% faster.
find_library(JEMALLOC_LIBRARY NAMES jemalloc)
if(NOT JEMALLOC_LIBRARY OR PASSERELLE_SANITIZE OR PASSERELLE_FUZZ)
  set(JEMALLOC_LIBRARY "")
endif()

# The server: Pistache (pkg-config only) and zlib for gzip responses.
find_package(ZLIB REQUIRED)
pkg_check_modules(PISTACHE REQUIRED IMPORTED_TARGET GLOBAL libpistache)

# The guide generator: libharu (no CMake or pkg-config files) and libhyphen (neither).
find_path(HPDF_INCLUDE_DIR hpdf.h REQUIRED)
find_library(HPDF_LIBRARY hpdf REQUIRED)
if(NOT TARGET Passerelle::hpdf)
  add_library(Passerelle::hpdf INTERFACE IMPORTED)
  target_include_directories(Passerelle::hpdf INTERFACE ${HPDF_INCLUDE_DIR})
  target_link_libraries(Passerelle::hpdf INTERFACE ${HPDF_LIBRARY})
endif()
find_path(HYPHEN_INCLUDE_DIR hyphen.h REQUIRED)
find_library(HYPHEN_LIBRARY hyphen REQUIRED)
if(NOT TARGET Passerelle::hyphen)
  add_library(Passerelle::hyphen INTERFACE IMPORTED)
  target_include_directories(Passerelle::hyphen INTERFACE ${HYPHEN_INCLUDE_DIR})
  target_link_libraries(Passerelle::hyphen INTERFACE ${HYPHEN_LIBRARY})
endif()
