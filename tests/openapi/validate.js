// Validates an OpenAPI 3 file: the schema checks of @apidevtools/swagger-parser, plus the
// semantic checks it skips for OpenAPI 3 (version, unique operationIds, declared path params).
const SwaggerParser = require('@apidevtools/swagger-parser');
const fs = require('fs');

async function main(file) {
  const problems = [];
  let api;
  try {
    api = await SwaggerParser.validate(file, { resolve: { external: false } });
  } catch (err) {
    console.log(`FAIL ${file}: ${err.message}`);
    return 1;
  }
  const raw = JSON.parse(fs.readFileSync(file, 'utf8'));
  if (!/^3\.0\.\d+$/.test(raw.openapi)) problems.push(`openapi version ${raw.openapi} is not 3.0.x`);
  const ids = new Set();
  for (const [path, item] of Object.entries(raw.paths)) {
    const templated = [...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]);
    for (const [method, op] of Object.entries(item)) {
      if (ids.has(op.operationId)) problems.push(`duplicate operationId ${op.operationId}`);
      ids.add(op.operationId);
      const declared = (op.parameters || []).filter((p) => p.in === 'path').map((p) => p.name);
      for (const name of templated)
        if (!declared.includes(name)) problems.push(`${method.toUpperCase()} ${path}: path parameter {${name}} not declared`);
    }
  }
  for (const p of problems) console.log(`FAIL ${p}`);
  if (problems.length === 0) console.log(`OK ${file}: ${api.info.title} ${api.info.version} (openapi ${raw.openapi})`);
  return problems.length ? 1 : 0;
}

main(process.argv[2]).then((code) => process.exit(code));
