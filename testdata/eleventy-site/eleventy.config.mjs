// Eleventy 3 config for the template-origins fixture (see README.md).
export default function (eleventyConfig) {
  return { dir: { input: "src", output: "_site" } };
}
