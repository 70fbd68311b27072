// A real OpenID Connect provider (panva's certified `oidc-provider`) set up like FranceConnect, for the demo and the
// tests: FranceConnect's claims (one scope per claim), `acr` values eidas1 (basic) and eidas2 (substantial), PKCE,
// and a small sign-in page where the person picks one of the demo identities (identities.json) and the level.
// Nothing here is used in production: there, OPENCPF_FRANCECONNECT_ISSUER points at the real service.
//
// Environment: OIDC_PORT (0 = a free port), OIDC_CLIENT_ID, OIDC_CLIENT_SECRET, OIDC_REDIRECT_URIS (comma-separated),
// OIDC_IDENTITIES_FILE, OIDC_CODE_TTL (seconds), OIDC_TEST_CONTROLS=1 (tests only: POST /_test/clock?offset=N moves
// this provider's clock N seconds ahead, so that a code can expire without waiting).
// Prints "listening http://127.0.0.1:PORT" once it answers.
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import Provider from 'oidc-provider';

const here = path.dirname(fileURLToPath(import.meta.url));
const env = process.env;
const identities = JSON.parse(
  fs.readFileSync(env.OIDC_IDENTITIES_FILE || path.join(here, 'identities.json'), 'utf8'),
);
const CLAIMS = [
  'given_name', 'family_name', 'birthdate', 'gender', 'birthplace', 'birthcountry', 'preferred_username', 'email',
];
const ACR_VALUES = ['eidas1', 'eidas2'];

// Tests only: a clock offset, so an authorization code can be made to expire without a sleep.
let clockOffsetMs = 0;
if (env.OIDC_TEST_CONTROLS === '1') {
  const realNow = Date.now;
  Date.now = () => realNow() + clockOffsetMs;
}

const escape = (value) => String(value).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function page(title, body) {
  return `<!doctype html><html lang="fr"><head><meta charset="utf-8"><title>${escape(title)}</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>body{font-family:system-ui,sans-serif;max-width:40rem;margin:2rem auto;padding:0 1rem;color:#161616}
h1{font-size:1.5rem}fieldset{border:1px solid #ddd;margin:0 0 1rem;padding:.5rem 1rem}label{display:block;margin:.5rem 0}
button{background:#000091;color:#fff;border:0;padding:.6rem 1.2rem;font-size:1rem;margin-right:.5rem;cursor:pointer}
button.secondary{background:#fff;color:#000091;border:1px solid #000091}small{color:#555}</style></head>
<body><p><strong>Fournisseur d'identité de démonstration</strong> (OpenCPF)</p>${body}</body></html>`;
}

function describe(identity) {
  const born = identity.birthcountry === '99100' ? `commune INSEE ${identity.birthplace}` : `pays ${identity.birthcountry}`;
  return `${escape(identity.given_name)} ${escape(identity.family_name.toUpperCase())}, ${escape(identity.gender)}, `
    + `né(e) le ${escape(identity.birthdate)} (${born})`;
}

async function readForm(req) {
  let body = '';
  for await (const chunk of req) {
    body += chunk;
    if (body.length > 10_000) break;
  }
  return new URLSearchParams(body);
}

async function interaction(provider, req, res, uid) {
  const details = await provider.interactionDetails(req, res);
  if (details.uid !== uid) throw new Error('interaction mismatch');
  if (req.method === 'GET') {
    const requested = String(details.params.acr_values || 'eidas1').split(' ').find((v) => ACR_VALUES.includes(v)) || 'eidas1';
    const choices = Object.entries(identities).map(([key, identity], index) => (
      `<label><input type="radio" name="identity" value="${escape(key)}"${index === 0 ? ' checked' : ''}> `
      + `${describe(identity)}<br><small>${escape(identity.note || '')}</small></label>`)).join('');
    const levels = ACR_VALUES.map((acr) => (
      `<label><input type="radio" name="acr" value="${acr}"${acr === requested ? ' checked' : ''}> ${acr}`
      + `${acr === 'eidas1' ? ' (faible)' : ' (substantiel, FranceConnect+)'}</label>`)).join('');
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
    res.end(page('Connexion', `<h1>Choisissez une identité</h1>
<form method="post" action="/interaction/${escape(uid)}">
<fieldset><legend>Identité</legend>${choices}</fieldset>
<fieldset><legend>Niveau de garantie (acr)</legend>${levels}</fieldset>
<button type="submit" name="action" value="login">Se connecter</button>
<button type="submit" name="action" value="cancel" class="secondary">Annuler</button>
</form>`));
    return;
  }
  const form = await readForm(req);
  if (form.get('action') === 'cancel') {
    await provider.interactionFinished(req, res, {
      error: 'access_denied', error_description: 'The person cancelled the sign-in.',
    }, { mergeWithLastSubmission: false });
    return;
  }
  const key = form.get('identity');
  const acr = form.get('acr');
  if (!Object.hasOwn(identities, key) || !ACR_VALUES.includes(acr)) {
    res.writeHead(400, { 'content-type': 'text/plain; charset=utf-8' });
    res.end('Unknown identity or level');
    return;
  }
  await provider.interactionFinished(req, res, {
    login: { accountId: identities[key].sub, acr, amr: ['pwd'] },
  }, { mergeWithLastSubmission: false });
}

const server = http.createServer();
server.listen(Number(env.OIDC_PORT || 0), '127.0.0.1', () => {
  const issuer = `http://127.0.0.1:${server.address().port}`;
  const { privateKey } = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
  const bySub = new Map(Object.values(identities).map((identity) => [identity.sub, identity]));
  const provider = new Provider(issuer, {
    clients: [{
      client_id: env.OIDC_CLIENT_ID || 'opencpf-demo',
      client_secret: env.OIDC_CLIENT_SECRET || 'opencpf-demo-secret',
      redirect_uris: (env.OIDC_REDIRECT_URIS || 'http://127.0.0.1:8000/compte/identite/franceconnect/retour/')
        .split(',').map((uri) => uri.trim()).filter(Boolean),
      response_types: ['code'],
      grant_types: ['authorization_code'],
      token_endpoint_auth_method: 'client_secret_post',
    }],
    // FranceConnect asks one scope per claim.
    claims: Object.fromEntries([['openid', ['sub']], ...CLAIMS.map((claim) => [claim, [claim]])]),
    acrValues: ACR_VALUES,
    pkce: { required: () => true },
    features: { devInteractions: { enabled: false } },
    interactions: { url: (_ctx, details) => `/interaction/${details.uid}` },
    cookies: { keys: [crypto.randomBytes(32).toString('hex')] },
    jwks: { keys: [{ ...privateKey.export({ format: 'jwk' }), kid: 'demo-rs256', use: 'sig', alg: 'RS256' }] },
    ttl: { AuthorizationCode: Number(env.OIDC_CODE_TTL || 60), Interaction: 600, Session: 600, Grant: 600,
      AccessToken: 300, IdToken: 300 },
    // A first-party demo: the person consents by signing in (no separate consent page).
    async loadExistingGrant(ctx) {
      const grant = new ctx.oidc.provider.Grant({
        clientId: ctx.oidc.client.clientId, accountId: ctx.oidc.session.accountId,
      });
      grant.addOIDCScope(ctx.oidc.params.scope);
      await grant.save();
      return grant;
    },
    async findAccount(_ctx, sub) {
      const identity = bySub.get(sub);
      if (!identity) return undefined;
      return {
        accountId: sub,
        async claims() {
          return Object.fromEntries([['sub', sub], ...CLAIMS.map((claim) => [claim, identity[claim]])]);
        },
      };
    },
  });
  const callback = provider.callback();
  server.on('request', async (req, res) => {
    const url = new URL(req.url, issuer);
    try {
      const match = url.pathname.match(/^\/interaction\/([\w-]+)$/);
      if (match) {
        await interaction(provider, req, res, match[1]);
      } else if (env.OIDC_TEST_CONTROLS === '1' && url.pathname === '/_test/clock' && req.method === 'POST') {
        clockOffsetMs = Number(url.searchParams.get('offset') || 0) * 1000;
        res.writeHead(204);
        res.end();
      } else {
        callback(req, res);
      }
    } catch (error) {
      res.writeHead(400, { 'content-type': 'text/plain; charset=utf-8' });
      res.end(`Sign-in error: ${error.message}`);
    }
  });
  console.log(`listening ${issuer}`);
});

for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => process.exit(0));
