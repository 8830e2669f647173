import type { Route } from "../context.ts";

export const eventRoutes: Route[] = [];
