import http from 'node:http';
import Fastify from 'fastify';

const server = http.createServer();
await new Promise((r) => server.listen(0, '127.0.0.1', r));
const port = server.address().port;
const app = Fastify({
  serverFactory: (handler) => {
    server.on('request', handler);
    return server;
  },
});
app.get('/', async () => ({ ok: port }));
await app.ready();
console.log(
  await (await fetch(`http://127.0.0.1:${port}/`)).text(),
  app.server === server,
  server.keepAliveTimeout,
);
await app.close();
console.log('listening after close:', server.listening);
