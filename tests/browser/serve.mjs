// A static server for a built site on 127.0.0.1, gzipping text as a real host would.
// Used by run.mjs, and by scripts/lighthouse.sh as `node serve.mjs DIR PORT`.

import { createServer } from 'node:http';
import { gzipSync } from 'node:zlib';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const types = { '.html': 'text/html; charset=utf-8', '.css': 'text/css', '.js': 'text/javascript', '.xml': 'application/xml', '.png': 'image/png', '.svg': 'image/svg+xml', '.pdf': 'application/pdf', '.json': 'application/json', '.txt': 'text/plain', '.webmanifest': 'application/manifest+json' };

// `base`: the path the site lives under, as on a host that serves it at /casebook/.
export function serve(root, port = 0, base = '/') {
  root = path.resolve(root);
  return new Promise((resolve) => {
    const server = createServer((req, res) => {
      const pathname = decodeURIComponent(new URL(req.url, 'http://x').pathname);
      if (!pathname.startsWith(base)) { res.writeHead(404); return res.end(); }
      const rel = pathname.slice(base.length - 1);
      let file = path.join(root, rel);
      if (!file.startsWith(root)) { res.writeHead(403); return res.end(); }
      if (fs.existsSync(file) && fs.statSync(file).isDirectory()) file = path.join(file, 'index.html');
      if (!fs.existsSync(file)) { res.writeHead(404, { 'content-type': types['.html'] }); return res.end(fs.readFileSync(path.join(root, '404.html'))); }
      const type = types[path.extname(file)] || 'application/octet-stream';
      let body = fs.readFileSync(file);
      const headers = { 'content-type': type, 'cache-control': 'max-age=3600' };
      if (/text|xml|json|javascript/.test(type)) { body = gzipSync(body); headers['content-encoding'] = 'gzip'; }
      headers['content-length'] = body.length;
      res.writeHead(200, headers);
      res.end(body);
    });
    server.listen(port, '127.0.0.1', () => resolve(server));
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const server = await serve(process.argv[2], Number(process.argv[3] || 0));
  // The first line is the address, for scripts to read.
  console.log(`http://127.0.0.1:${server.address().port}/`);
}
