/**
 * `npm run evidence:verify -- <record.json> [--public-key <spki.pem>]`: whether an evidence record
 * (the answer of `GET /v1/onboardings/{id}/evidence`) is signed by the evidence key. The public key
 * comes from the file given, or from the configured key (EVIDENCE_SIGNING_KEY, or the development
 * key in .temporal/). Prints `valid` and exits 0, or `invalid: <why>` and exits 1.
 *
 * `npm run evidence:verify -- --print-public-key` prints the configured key's id and public key
 * (SPKI PEM): what a lender is given to verify records without this command.
 */
import { readFileSync } from 'node:fs';
import { loadConfig } from '../src/config';
import { publicKeyPem, resolveEvidenceKey } from '../src/evidence/keys';
import { verifyEvidence } from '../src/evidence/signature';

const USAGE =
  'usage: npm run evidence:verify -- <record.json> [--public-key <spki.pem>] | --print-public-key';

function main(args: string[]): number {
  if (args.includes('--print-public-key')) {
    const key = resolveEvidenceKey(loadConfig());
    process.stdout.write(`key id: ${key.keyId}\n${publicKeyPem(key)}`);
    return 0;
  }
  const at = args.indexOf('--public-key');
  const keyFile = at >= 0 ? args[at + 1] : undefined;
  const files = args.filter((a, i) => a !== '--public-key' && (at < 0 || i !== at + 1));
  if (files.length !== 1 || (at >= 0 && keyFile === undefined)) {
    console.error(USAGE);
    return 2;
  }
  let record: unknown;
  try {
    record = JSON.parse(readFileSync(files[0]!, 'utf8'));
  } catch {
    console.log('invalid: the file cannot be read as JSON');
    return 1;
  }
  const publicKey =
    keyFile === undefined ? resolveEvidenceKey(loadConfig()).publicKey : readFileSync(keyFile, 'utf8');
  const result = verifyEvidence(record, publicKey);
  console.log(result.valid ? 'valid' : `invalid: ${result.why}`);
  return result.valid ? 0 : 1;
}

process.exitCode = main(process.argv.slice(2));
