// Three tiers, selected with `jest --selectProjects <tier>`:
//   unit     *.test.ts          no network
//   emulator *.emu.test.ts      real HTTP on loopback against the emulator
//   engine   *.engine.test.ts   the real pulumi CLI against the emulator
const tsJest = ["ts-jest", { isolatedModules: true, tsconfig: "tsconfig.base.json" }];
const common = { testEnvironment: "node", transform: { "^.+\\.ts$": tsJest }, roots: ["<rootDir>"], modulePathIgnorePatterns: ["<rootDir>/.*/dist/", "<rootDir>/bin/"] };
module.exports = {
  projects: [
    { ...common, displayName: "unit", testMatch: ["**/*.test.ts"], testPathIgnorePatterns: ["/node_modules/", "\\.emu\\.test\\.ts$", "\\.engine\\.test\\.ts$", "\\.fault\\.test\\.ts$"] },
    { ...common, displayName: "emulator", testMatch: ["**/*.emu.test.ts"], testTimeout: 30000 },
    { ...common, displayName: "engine", testMatch: ["**/*.engine.test.ts"], testTimeout: 600000 },
    { ...common, displayName: "fault", testMatch: ["**/*.fault.test.ts"], testTimeout: 900000 },
  ],
};
