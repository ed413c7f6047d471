# Third-party dependencies. All come from Debian packages that
# scripts/install-deps installs; nothing is downloaded.
find_package(PkgConfig REQUIRED)
find_package(Threads REQUIRED)
find_package(OpenSSL 3 REQUIRED)
find_package(SQLite3 REQUIRED)
find_package(nlohmann_json 3 REQUIRED)
find_package(fmt REQUIRED)
find_package(CLI11 REQUIRED)
find_package(tomlplusplus REQUIRED)
find_package(date REQUIRED)
find_package(ICU REQUIRED COMPONENTS uc i18n)
find_package(JPEG REQUIRED)
find_package(GTest REQUIRED)

# libzip's CMake config is broken on Debian 12: use pkg-config.
pkg_check_modules(LIBZIP REQUIRED IMPORTED_TARGET libzip)
pkg_check_modules(LIBARCHIVE REQUIRED IMPORTED_TARGET libarchive)
pkg_check_modules(LIBPLIST REQUIRED IMPORTED_TARGET libplist-2.0)
pkg_check_modules(EXPAT REQUIRED IMPORTED_TARGET expat)
pkg_check_modules(EXIV2 REQUIRED IMPORTED_TARGET exiv2)
pkg_check_modules(RE2 REQUIRED IMPORTED_TARGET re2)

# libphonenumber ships neither a CMake config nor a .pc file on Debian.
find_library(PHONENUMBER_LIB phonenumber REQUIRED)
find_path(PHONENUMBER_INCLUDE phonenumbers/phonenumberutil.h REQUIRED)
add_library(remit_phonenumber INTERFACE)
target_link_libraries(remit_phonenumber INTERFACE ${PHONENUMBER_LIB})
target_include_directories(remit_phonenumber INTERFACE ${PHONENUMBER_INCLUDE})
