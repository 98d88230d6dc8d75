import type { Logger } from '@uif/runtime';
import type { Router } from '@uif/subgraph';
import type { OAuthService } from './oauth.service.js';
import { OAuthCallbackError } from './oauth.errors.js';

export const OAUTH_CALLBACK_PATH = '/oauth/callback';

const page = (title: string, text: string) =>
  `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${title}</title></head>` +
  `<body style="font-family: sans-serif; margin: 3rem"><h1>${title}</h1><p>${text}</p></body></html>`;

const escapeHtml = (text: string) =>
  text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
  );

/**
 * GET /internal/oauth/callback?<the provider's query>: the gateway forwards the browser's
 * /oauth/callback here, signed, and shows the admin the page this answers.
 */
export function mountOAuthRoutes(router: Router, oauth: OAuthService, log: Logger): void {
  router.get(OAUTH_CALLBACK_PATH, async (req, res) => {
    const callback = new URL(req.originalUrl, 'http://internal');
    try {
      const connector = await oauth.complete(callback);
      log.info({ connectorId: connector.id }, 'OAuth authorization completed');
      res
        .type('html')
        .send(
          page(
            'Authorization complete',
            `${escapeHtml(connector.displayLabel)} is authorized. ` +
              `<a href="/#/connectors/${encodeURIComponent(connector.id)}">Back to the admin console</a>`,
          ),
        );
    } catch (error) {
      if (!(error instanceof OAuthCallbackError)) throw error;
      log.warn({ reason: error.message }, 'OAuth callback refused');
      res
        .status(400)
        .type('html')
        .send(page('Authorization failed', escapeHtml(error.message)));
    }
  });
}
