/** @type {import('jest').Config} */
module.exports = {
	testEnvironment: 'node',
	roots: ['<rootDir>/test'],
	testMatch: ['**/*.test.ts'],
	transform: {
		'^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.dev.json'}],
	},
	testTimeout: 60000,
	setupFilesAfterEnv: ['<rootDir>/test/setup-secrets.ts'],
	// one temp folder per run, removed at the end (test/global-setup.ts)
	globalSetup: '<rootDir>/test/global-setup.ts',
	globalTeardown: '<rootDir>/test/global-teardown.ts',
	// jest's transform cache in the project, not in the temp directory
	cacheDirectory: '<rootDir>/node_modules/.cache/jest',
	// n8n-core is heavy to load; two workers fit the 2-core machines.
	maxWorkers: 2,
};
