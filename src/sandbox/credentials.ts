// The credentials the sandboxes accept and the product uses against them when no vendor credentials are
// configured. They guard nothing real (the sandboxes hold a fake tenant on loopback), so they are fixed:
// `npm start`, `npm run sandbox`, the worker and the tests agree without sharing files.
export const SANDBOX_OKTA_API_TOKEN = '00sandbox-access-bridge-okta-token';
export const SANDBOX_FRESHSERVICE_API_KEY = 'sandbox-access-bridge-freshservice-key';
