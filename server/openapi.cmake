# Compiles server/openapi.json into the program (openapi_document()), so the served file and the
# repository's are the same bytes.
file(READ ${INPUT} CONTENT)
file(WRITE ${OUTPUT} "#include \"server/api.h\"\nnamespace passerelle::http {\nconst std::string& openapi_document() {\n  static const std::string doc = R\"OPENAPI(${CONTENT})OPENAPI\";\n  return doc;\n}\n}  // namespace passerelle::http\n")
