# Compiles the page templates and static files (templates/pages, templates/static, templates/zim,
# templates/strings.tsv) into the program as embedded_files(), so the server needs no path to
# the source tree and serves exactly the repository's bytes. Bytes are written as numbers, so
# no file content can break the generated source.
file(GLOB_RECURSE FILES RELATIVE ${BASE} ${BASE}/pages/* ${BASE}/static/* ${BASE}/zim/* ${BASE}/strings.tsv)
list(SORT FILES)
set(BODY "")
foreach(F ${FILES})
  file(READ ${BASE}/${F} HEX HEX)
  string(REGEX REPLACE "([0-9a-f][0-9a-f])" "'\\\\x\\1'," BYTES "${HEX}")
  string(APPEND BODY "    {\"${F}\", bytes({${BYTES}})},\n")
endforeach()
file(WRITE ${OUTPUT} "#include \"server/templates.h\"\n#include <initializer_list>\nnamespace passerelle::http {\nnamespace {\nstd::string bytes(std::initializer_list<char> b) { return std::string(b.begin(), b.end()); }\n}  // namespace\nconst std::map<std::string, std::string>& embedded_files() {\n  static const std::map<std::string, std::string> files = {\n${BODY}  };\n  return files;\n}\n}  // namespace passerelle::http\n")
