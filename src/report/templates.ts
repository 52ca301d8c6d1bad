import type { TemplateDelegate } from "handlebars";

/**
 * Renders a Handlebars template from `templates/NAME.hbs`. Handlebars is imported on first use,
 * so commands that render nothing never load it.
 */

const compiled = new Map<string, TemplateDelegate>();
const TEMPLATE_DIR = new URL("../../templates/", import.meta.url);

/**
 * @param name - file name under templates/ without `.hbs`, e.g. `s3-policy.terraform`
 * @param data - the template's input
 * @returns the rendered text
 */
export async function render(name: string, data: unknown): Promise<string> {
  let template = compiled.get(name);
  if (!template) {
    const [{ default: handlebars }, { readFile }] = await Promise.all([
      import("handlebars"),
      import("node:fs/promises"),
    ]);
    const source = await readFile(new URL(`${name}.hbs`, TEMPLATE_DIR), "utf8");
    template = handlebars.compile(source, { noEscape: true, strict: true });
    compiled.set(name, template);
  }

  return template(data);
}
