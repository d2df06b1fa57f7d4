/**
 * `npm run stack`: the production topology on this machine (scripts/stack/topology.ts), until Ctrl-C.
 * The first run builds the Temporal server, its SQL tool and the Web UI server from the Go module
 * proxy (minutes); later runs start in seconds. Then, in another terminal:
 *
 *   npm run demo -- --address 127.0.0.1:7633      # one onboarding on the stack
 *
 * Temporal takes mutual TLS only; the certificates are in .temporal/stack/certs (it prints how the
 * CLI connects with the `admin` one). The Web UIs ask for a login (Dex): it prints who may log in,
 * and where each password is (.temporal/stack/login).
 */
import { relative } from 'node:path';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { runService } from '../src/service';
import { loadStackConfig } from './stack/config';
import { startStack } from './stack/topology';

Runtime.install({ logger: new DefaultLogger('WARN') });
runService(async () => {
  const stack = await startStack(loadStackConfig(), { log: (line) => console.log(line) });
  const path = (p: string) => relative(process.cwd(), p) || p;
  const { operator, viewer } = stack.logins.users;
  console.log(
    `Web UI for operators ${stack.uiUrl}: log in as ${operator.login}, password in ${path(operator.passwordFile)}\n` +
      `Web UI, read-only    ${stack.viewerUiUrl}: log in as ${viewer.login}, password in ${path(viewer.passwordFile)}\n` +
      `  (the login page is Dex's, ${stack.issuer}, whose certificate the stack's authority signed:\n` +
      `  trust ${path(stack.certificates.caFile)} in the browser, or accept its warning)`,
  );
  for (const w of stack.workers) console.log(`${w.name}: metrics ${w.metricsUrl}`);
  console.log(`Workers: deployment ${stack.deployment.name}, build ${stack.deployment.buildId} (current)`);
  console.log(`Logs in ${stack.logs}`);
  console.log(`Temporal ${stack.server.address}: npm run demo -- --address ${stack.server.address}`);
  const admin = stack.certificates.client('admin');
  console.log(
    `API ${stack.api.url} over HTTPS (key in .temporal/dev-api-key), its certificate from the same authority:\n` +
      `  curl --cacert ${path(stack.api.caFile)} -H "Authorization: Bearer $(cat .temporal/dev-api-key)" ${stack.api.url}/v1/onboardings`,
  );
  console.log(
    `Temporal takes mutual TLS only (certificates in ${path(stack.certificates.dir)}); the CLI as admin:\n` +
      `  temporal workflow list --address ${stack.server.address} --tls-cert-path ${path(admin.cert)} ` +
      `--tls-key-path ${path(admin.key)} --tls-ca-path ${path(admin.ca)}`,
  );
  console.log(
    `Codec server ${stack.codec.url}: the CLI decodes with --codec-endpoint ${stack.codec.url} ` +
      `--codec-auth "Bearer $(cat ${path(stack.logins.codecCliTokenFile)})"`,
  );
  return { close: stack.stop };
});
