import { execFile } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';

/**
 * Writes a throwaway CA (`ca.crt`) and a server certificate it signed for localhost and
 * 127.0.0.1 (`server.crt`, `server.key`) into `dir`, with the system's openssl.
 */
export async function makeCertificates(dir: string): Promise<void> {
  // Relative file names only (cwd is `dir`), so splitting on spaces is safe.
  const openssl = (command: string) =>
    promisify(execFile)('openssl', command.split(' '), { cwd: dir });
  await openssl(
    'req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=ff-relay-test-ca ' +
      '-addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign,cRLSign ' +
      '-keyout ca.key -out ca.crt',
  );
  await openssl(
    'req -newkey rsa:2048 -nodes -subj /CN=localhost -keyout server.key -out server.csr',
  );
  await writeFile(
    join(dir, 'server.ext'),
    'subjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth\n',
  );
  await openssl(
    'x509 -req -in server.csr -CA ca.crt -CAkey ca.key -CAcreateserial -days 1 ' +
      '-extfile server.ext -out server.crt',
  );
}
