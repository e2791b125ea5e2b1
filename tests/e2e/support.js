// What the end-to-end scripts share: their checks, starting `passerelle serve` on a free
// loopback port, and a real PDF made from text.
'use strict';
const { spawn } = require('child_process');

// check(condition, what) prints "ok" or "FAIL" with `what`; failures() counts the FAILs.
function checker() {
  let failed = 0;
  return {
    check(condition, what) {
      console.log((condition ? 'ok   ' : 'FAIL ') + what);
      if (!condition) failed++;
    },
    failures: () => failed,
  };
}

// Runs `passerelle serve --port 0 --access-log '' ...args` and resolves to { server, base }
// once it prints the address it listens on (within 20 s).
async function serve(passerelle, args) {
  const server = spawn(passerelle, ['serve', ...args, '--port', '0', '--access-log', ''], { stdio: ['ignore', 'pipe', 'inherit'] });
  const base = await new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error('the server did not start within 20 s')), 20000);
    server.stdout.on('data', (d) => {
      out += d;
      const m = out.match(/on (http:\/\/127\.0\.0\.1:\d+)\//);
      if (m) { clearTimeout(timer); resolve(m[1]); }
    });
    server.on('exit', (code) => reject(new Error('the server exited with ' + code)));
  });
  return { server, base };
}

// A real PDF with one page per string (ASCII text, Helvetica), for poppler to read.
function makePdf(pages) {
  const objects = ['<< /Type /Catalog /Pages 2 0 R >>',
    `<< /Type /Pages /Kids [${pages.map((_, i) => `${4 + 2 * i} 0 R`).join(' ')}] /Count ${pages.length} >>`,
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>'];
  pages.forEach((text, i) => {
    const stream = `BT /F1 11 Tf 56 780 Td (${text.replace(/[()\\]/g, '')}) Tj ET\n`;
    objects.push(`<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 3 0 R >> >> /Contents ${5 + 2 * i} 0 R >>`);
    objects.push(`<< /Length ${stream.length} >>\nstream\n${stream}endstream`);
  });
  let pdf = '%PDF-1.4\n';
  const offsets = objects.map((o, i) => { const at = pdf.length; pdf += `${i + 1} 0 obj\n${o}\nendobj\n`; return at; });
  const xref = pdf.length;
  pdf += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n` + offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('');
  pdf += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(pdf, 'latin1');
}

module.exports = { checker, serve, makePdf };
