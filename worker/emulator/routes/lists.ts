import type { Route } from "../context.ts";

export const listRoutes: Route[] = [];
