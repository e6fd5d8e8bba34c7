// What the whole UI shares: the app's info, the vocabularies, and a data version that goes up
// whenever records change (a save here, or a sync pulling changes) so screens reload.
import { commands, type AppInfo, type Vocabulary } from "../bindings";
import { unwrap } from "../ipc";

class AppStore {
  info = $state<AppInfo | null>(null);
  vocabulary = $state<Vocabulary | null>(null);
  /** Bumped after every change; screens reload what they show when it moves. */
  dataVersion = $state(0);
  ready = $state(false);

  async load() {
    const [info, vocabulary] = await Promise.all([unwrap(commands.appInfo()), commands.vocabulary()]);
    this.info = info;
    this.vocabulary = vocabulary;
    this.ready = true;
  }

  async refreshInfo() {
    this.info = await unwrap(commands.appInfo());
  }

  changed() {
    this.dataVersion += 1;
  }
}

export const app = new AppStore();
