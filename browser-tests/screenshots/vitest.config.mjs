// Renders the components with the compiled common/common.scss on a stand-in for Discourse's
// page styles and writes PNGs to browser-tests/screenshots/out/ (git-ignored). Not part of
// `npm run test:browser`: run it with
//   npx vitest run --config browser-tests/screenshots/vitest.config.mjs
import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";
import testConfig from "../vitest.config.mjs";

const here = fileURLToPath(new URL("./", import.meta.url));
const browserProject = testConfig.test.projects.find(
  (project) => project.test.name === "browser"
);

export default defineConfig({
  root: testConfig.root,
  test: {
    projects: [
      {
        ...browserProject,
        // Visible icons instead of the test stubs' empty ones.
        resolve: {
          ...browserProject.resolve,
          alias: [
            {
              find: /^discourse\/ui-kit\/helpers\/d-icon$/,
              replacement: `${here}d-icon.js`,
            },
            ...browserProject.resolve.alias,
          ],
        },
        test: {
          ...browserProject.test,
          name: "screenshots",
          include: ["browser-tests/screenshots/**/*.shot.gjs"],
        },
      },
    ],
  },
});
