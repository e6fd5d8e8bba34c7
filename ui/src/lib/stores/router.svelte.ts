// Where the person is: a hash route, so Back and Forward work and a restart can restore it.

export type PartnerTab = "overview" | "plan" | "enablement" | "coselling" | "review";

export type Route =
  | { name: "today" }
  | { name: "partners" }
  | { name: "partner"; id: string; tab: PartnerTab }
  | { name: "accounts"; id?: string }
  | { name: "rollup" }
  | { name: "import" }
  | { name: "settings" };

const TABS: PartnerTab[] = ["overview", "plan", "enablement", "coselling", "review"];

export function parseRoute(hash: string): Route {
  const parts = hash.replace(/^#\/?/, "").split("/").filter(Boolean).map(decodeURIComponent);
  switch (parts[0]) {
    case "partners":
      if (parts[1]) {
        const tab = TABS.find((t) => t === parts[2]) ?? "overview";
        return { name: "partner", id: parts[1], tab };
      }
      return { name: "partners" };
    case "accounts":
      return parts[1] ? { name: "accounts", id: parts[1] } : { name: "accounts" };
    case "rollup":
      return { name: "rollup" };
    case "import":
      return { name: "import" };
    case "settings":
      return { name: "settings" };
    default:
      return { name: "today" };
  }
}

export function routeHash(route: Route): string {
  switch (route.name) {
    case "partner":
      return `#/partners/${encodeURIComponent(route.id)}/${route.tab}`;
    case "accounts":
      return route.id ? `#/accounts/${encodeURIComponent(route.id)}` : "#/accounts";
    default:
      return `#/${route.name}`;
  }
}

class Router {
  route = $state<Route>(parseRoute(typeof location === "undefined" ? "" : location.hash));

  go(route: Route) {
    this.route = route;
    const hash = routeHash(route);
    if (location.hash !== hash) location.hash = hash;
  }

  sync() {
    this.route = parseRoute(location.hash);
  }
}

export const router = new Router();

if (typeof window !== "undefined") {
  window.addEventListener("hashchange", () => router.sync());
}
