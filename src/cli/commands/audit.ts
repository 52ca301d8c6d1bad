import type { Command } from "../main.js";

/** The `audit` commands. */
export const commands: Command[] = [];
