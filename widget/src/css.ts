/**
 * A `css` tag for a stylesheet without interpolations: it returns the literal's text. It is
 * named `css` so that the build minifies the templates it tags, as it does Lit's.
 */
export const css = (strings: TemplateStringsArray): string => strings[0] as string;
