/**
 * Who sent a command, as the path that authenticated it says: an API key (its name and tenant); a
 * service that holds the key ring and reaches Temporal itself (backend code with the TypeScript
 * client, configured with its name); or an operator whose command the codec server encoded (a
 * codec token's name, or a Web UI user), acting for every tenant (`*`). The workflow records it;
 * nobody types it.
 */
export type Principal =
  | { type: 'api-key'; name: string; tenant: string }
  | { type: 'service'; name: string; tenant: string }
  | { type: 'operator'; name: string; tenant: '*' };
