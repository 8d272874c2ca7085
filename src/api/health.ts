// Liveness and readiness: /healthz says the process is up; /readyz says Temporal answers, so a load
// balancer stops sending webhooks here while Temporal is unreachable.
import { Router } from 'express';
import type { TemporalGateway } from './temporal-gateway';

export function createHealthRouter(deps: { temporal: TemporalGateway }): Router {
  const router = Router();
  router.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  router.get('/readyz', async (req, res) => {
    try {
      await deps.temporal.ping();
      res.json({ status: 'ready', temporal: 'reachable' });
    } catch (err) {
      req.log.warn({ err: String(err) }, 'readiness check failed: Temporal unreachable');
      res.setHeader('Retry-After', '5');
      res.status(503).json({ status: 'unavailable', temporal: 'unreachable' });
    }
  });
  return router;
}
