/** What a route handler returns; the server writes it. */
export interface Reply {
  status: number;
  body: string;
  contentType: string;
  headers: Record<string, string>;
}

export const json = (status: number, body: unknown, headers: Record<string, string> = {}): Reply => ({
  status,
  body: JSON.stringify(body),
  contentType: "application/json; charset=utf-8",
  headers,
});

export const text = (status: number, body: string, headers: Record<string, string> = {}): Reply => ({
  status,
  body,
  contentType: "text/plain; charset=utf-8",
  headers,
});

export const redirect = (location: string): Reply => ({
  status: 301,
  body: "",
  contentType: "text/html; charset=utf-8",
  headers: { Location: location },
});

export const empty = (status = 200): Reply => ({
  status,
  body: "",
  contentType: "text/plain; charset=utf-8",
  headers: {},
});
