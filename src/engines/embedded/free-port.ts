/**
 * Asks the OS for a free TCP port on 127.0.0.1.
 *
 * @example const port = await freePort()
 */
import net from 'node:net';

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('engine: no free port'))));
    });
  });
}
