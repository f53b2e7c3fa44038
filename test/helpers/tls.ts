import {execFileSync} from 'node:child_process'
import {mkdtempSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

/** A throw-away CA and a server certificate for 127.0.0.1, made with the openssl CLI. */
export function makeCertificates(): {dir: string; caFile: string; certFile: string; keyFile: string} {
  const dir = mkdtempSync(join(tmpdir(), 'rcdiag-tls-'))
  const run = (...args: string[]) => execFileSync('openssl', args, {cwd: dir, stdio: 'pipe'})
  run('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2', '-subj', '/CN=rcdiag test CA', '-keyout', 'ca.key', '-out', 'ca.crt')
  run('req', '-newkey', 'rsa:2048', '-nodes', '-subj', '/CN=127.0.0.1', '-keyout', 'server.key', '-out', 'server.csr')
  execFileSync('sh', ['-c', 'printf "subjectAltName=IP:127.0.0.1,DNS:localhost\\n" > san.ext'], {cwd: dir})
  run(
    'x509',
    '-req',
    '-in',
    'server.csr',
    '-CA',
    'ca.crt',
    '-CAkey',
    'ca.key',
    '-CAcreateserial',
    '-days',
    '2',
    '-extfile',
    'san.ext',
    '-out',
    'server.crt',
  )
  return {dir, caFile: join(dir, 'ca.crt'), certFile: join(dir, 'server.crt'), keyFile: join(dir, 'server.key')}
}
