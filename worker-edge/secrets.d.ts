// Secrets are not in wrangler.toml, so `wrangler types` cannot see them: set with `wrangler secret put`.
declare namespace Cloudflare {
  interface Env {
    /** Bearer token for admin API calls; when unset, admin calls are refused. */
    ADMIN_TOKEN?: string;
  }
}
