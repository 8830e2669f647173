import type { Route } from "../context.ts";

export const searchRoutes: Route[] = [];
