/**
 * End-to-end tests (`npm run test:e2e`): a real n8n runs the built package: 2.41.1, or 1.123.81 with
 * CEKAT_N8N_LINE=1 (`npm run test:e2e:n8n1`).
 * Separate from `npm test` (jest.config.js matches *.test.ts; these files are *.e2e.ts).
 * @type {import('jest').Config}
 */
module.exports = {
	testEnvironment: 'node',
	roots: ['<rootDir>/test/e2e'],
	testMatch: ['**/*.e2e.ts'],
	transform: {
		'^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.dev.json' }],
	},
	// each file starts its own n8n processes; in sequence they fit the 2-core machines
	maxWorkers: 1,
	testTimeout: 180000,
	slowTestThreshold: 60,
};
