import type { Command } from "../main.js";

/** The `probe` commands. */
export const commands: Command[] = [];
