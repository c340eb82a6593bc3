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
	// n8n-core is heavy to load; two workers fit the 2-core machines.
	maxWorkers: 2,
};
