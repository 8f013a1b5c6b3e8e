// Secrets are not in wrangler.toml, so `wrangler types` cannot see them: set with `wrangler secret put`
// (or in .dev.vars locally).
interface EnvSecrets {
  /** Bearer token for admin API calls; when unset, admin calls are refused. */
  ADMIN_TOKEN?: string;
}
interface Env extends EnvSecrets {}
declare namespace Cloudflare {
  interface Env extends EnvSecrets {}
}
