// Four tiers, selected with `jest --selectProjects <tier>`:
//   unit     *.test.ts          no network
//   emulator *.emu.test.ts      real HTTP on loopback against the emulator
//   engine   *.engine.test.ts   the real pulumi CLI against the emulator
//   fault    *.fault.test.ts    injected faults, bad input and secrets, with the real pulumi CLI
// Transpile only (tsconfig.jest.json sets isolatedModules): type checking is `make lint`'s job.
const tsJest = ["ts-jest", { tsconfig: "tsconfig.jest.json" }];
const common = {
  testEnvironment: "node",
  transform: { "^.+\\.ts$": tsJest },
  roots: ["<rootDir>"],
  modulePathIgnorePatterns: ["<rootDir>/.*/dist/", "<rootDir>/bin/"],
};
module.exports = {
  // A global option (jest ignores it per project); engine and fault tests raise it per file.
  testTimeout: 60000,
  projects: [
    {
      ...common,
      displayName: "unit",
      testMatch: ["**/*.test.ts"],
      testPathIgnorePatterns: [
        "/node_modules/",
        "\\.emu\\.test\\.ts$",
        "\\.engine\\.test\\.ts$",
        "\\.fault\\.test\\.ts$",
      ],
    },
    { ...common, displayName: "emulator", testMatch: ["**/*.emu.test.ts"] },
    { ...common, displayName: "engine", testMatch: ["**/*.engine.test.ts"] },
    { ...common, displayName: "fault", testMatch: ["**/*.fault.test.ts"] },
  ],
};
