// The rules tables (certifications, requirements, R7 thresholds), loaded when first needed
// and reloaded after a change.
import { commands, type RuleBook } from "../bindings";
import { unwrap } from "../ipc";

class RulesStore {
  book = $state<RuleBook | null>(null);

  async load(): Promise<RuleBook> {
    this.book = await unwrap(commands.ruleBook());
    return this.book;
  }

  async ensure(): Promise<RuleBook> {
    return this.book ?? this.load();
  }
}

export const rules = new RulesStore();
