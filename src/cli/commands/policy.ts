import type { Command } from "../main.js";

/** The `policy` commands. */
export const commands: Command[] = [];
