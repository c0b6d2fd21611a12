import 'reflect-metadata';
import { createApp, exitOnSignals, listen, loadConfig } from 'ff-relay';
import { Logger } from 'nestjs-pino';
import { TenantModule } from './tenant.module.js';

// ff-relay with one team's interceptor: the same configuration (environment variables), the
// same shutdown, one more module.
const config = loadConfig(process.env);
const app = await createApp(config, { imports: [TenantModule] });
exitOnSignals(app, app.get(Logger), config.server.shutdownTimeoutMs);
await listen(app, config);
