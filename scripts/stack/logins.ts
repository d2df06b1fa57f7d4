/**
 * Who logs in to the stack's Web UIs, and the secrets of its identity provider (Dex,
 * ops/dex/config.yaml): the operator's and the read-only user's passwords, each Web UI's OIDC
 * client secret, and the token the CLI decodes with at the codec server. Random, made on the first
 * run and kept in the cache folder (`.temporal/stack/login`, git-ignored, each file mode 0600),
 * reused by later runs; delete a file to replace that secret. Dex gets only the passwords' bcrypt
 * hashes, the codec server only its token's SHA-256.
 */
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import bcrypt from 'bcryptjs';

/** Groups are roles: the Temporal server's claim mapper and the codec server read them. */
export const GROUPS = { operators: 'onboarding-operators', viewers: 'onboarding-viewers' } as const;

/** The Web UIs' OIDC clients (ops/dex/config.yaml's staticClients). */
export const CLIENTS = { operators: 'web-ui-operators', viewers: 'web-ui-viewers' } as const;

/** The users of ops/dex/config.yaml: they log in with their e-mail address. */
export const USERS = {
  operator: { login: 'operator@credit-onboarding.example', group: GROUPS.operators },
  viewer: { login: 'viewer@credit-onboarding.example', group: GROUPS.viewers },
} as const;
export type UserName = keyof typeof USERS;

export interface Logins {
  dir: string;
  users: Record<UserName, { login: string; password: string; passwordFile: string }>;
  clientSecrets: Record<keyof typeof CLIENTS, string>;
  /** The CLI's codec token (`--codec-auth "Bearer <token>"`), in `codec-cli.token`. */
  codecCliToken: string;
  codecCliTokenFile: string;
}

/** Cost 10: a login checks it in tens of milliseconds. */
const BCRYPT_COST = 10;

export function ensureLogins(dir: string): Logins {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  chmodSync(dir, 0o700);
  const secret = (file: string): string => {
    const path = join(dir, file);
    if (existsSync(path)) {
      chmodSync(path, 0o600);
      const kept = readFileSync(path, 'utf8').trim();
      if (kept !== '') return kept;
    }
    const made = randomBytes(24).toString('base64url');
    const temp = `${path}.${process.pid}.tmp`;
    writeFileSync(temp, `${made}\n`, { mode: 0o600 });
    renameSync(temp, path);
    return made;
  };
  const user = (name: UserName) => ({
    login: USERS[name].login,
    password: secret(`${name}.password`),
    passwordFile: join(dir, `${name}.password`),
  });
  return {
    dir,
    users: { operator: user('operator'), viewer: user('viewer') },
    clientSecrets: {
      operators: secret(`${CLIENTS.operators}.secret`),
      viewers: secret(`${CLIENTS.viewers}.secret`),
    },
    codecCliToken: secret('codec-cli.token'),
    codecCliTokenFile: join(dir, 'codec-cli.token'),
  };
}

/** What Dex reads from its environment (hashFromEnv, secretEnv in ops/dex/config.yaml). */
export function dexSecretsEnv(logins: Logins): Record<string, string> {
  return {
    DEX_OPERATOR_PASSWORD_HASH: bcrypt.hashSync(logins.users.operator.password, BCRYPT_COST),
    DEX_VIEWER_PASSWORD_HASH: bcrypt.hashSync(logins.users.viewer.password, BCRYPT_COST),
    DEX_WEB_UI_OPERATORS_SECRET: logins.clientSecrets.operators,
    DEX_WEB_UI_VIEWERS_SECRET: logins.clientSecrets.viewers,
  };
}
