export { buildApp, type AppOptions } from './app.ts';
export { serve, type ServeOptions, type RunningServer } from './server.ts';
export type { ApiContext } from './context.ts';
export { HttpErrors } from './errors.ts';
export type { RouteEntry, RouteRoles } from './auth.ts';
