const { src, dest, series } = require('gulp');

// tsc emits only JavaScript; the icons and the codex files must sit beside it in dist/.
function copyIcons() {
	return src('icons/**/*.{png,svg}').pipe(dest('dist/icons'));
}

function copyCodex() {
	return src(['nodes/**/*.json', 'credentials/**/*.json'], { base: '.' }).pipe(dest('dist'));
}

exports['build:icons'] = series(copyIcons, copyCodex);
exports.default = exports['build:icons'];
