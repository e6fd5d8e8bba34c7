// Light, dark, or whatever the OS says (the default). A display preference of this computer,
// kept in the webview's local storage.

export type ThemeChoice = "system" | "light" | "dark";
const KEY = "channel-desk.theme";

function stored(): ThemeChoice {
  const value = typeof localStorage === "undefined" ? null : localStorage.getItem(KEY);
  return value === "light" || value === "dark" ? value : "system";
}

class Theme {
  choice = $state<ThemeChoice>(stored());

  set(choice: ThemeChoice) {
    this.choice = choice;
    localStorage.setItem(KEY, choice);
    this.apply();
  }

  apply() {
    const root = document.documentElement;
    if (this.choice === "system") delete root.dataset.theme;
    else root.dataset.theme = this.choice;
  }
}

export const theme = new Theme();
