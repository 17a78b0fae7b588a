// @ts-check
/**
 * n8n's verification scanner, run the way its CLI runs it on a published package, without the
 * registry: its `analyzePackage` lints (1) the source files it scans in the attested repository
 * (package.json, nodes/ and credentials/) and (2) the unpacked `npm pack` tarball (compiled .js
 * and package.json). Any violation fails. Usage: `npm run scan` (builds first), or
 * `node test/scan/scan.mjs [TARBALL]`. Installs the scanner into test/scan/node_modules when
 * missing (install scripts off, as the scanner's own README advises for CI).
 */
import { execFileSync } from 'node:child_process';
import {
	existsSync,
	mkdirSync,
	mkdtempSync,
	readdirSync,
	readFileSync,
	rmSync,
	writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const here = import.meta.dirname;
const root = path.resolve(here, '..', '..');

function ensureScanner() {
	if (existsSync(path.join(here, 'node_modules', '@n8n', 'scan-community-package'))) return;
	console.log('[scan] installing @n8n/scan-community-package (npm ci, scripts off)');
	execFileSync('npm', ['ci', '--no-audit', '--no-fund', '--loglevel=error'], {
		cwd: here,
		stdio: 'inherit',
	});
}

/**
 * Packs the built package into a fresh folder and unpacks it; returns the package folder.
 * @param {string | undefined} given
 */
function unpackTarball(given) {
	const work = mkdtempSync(path.join(tmpdir(), 'miro-scim-scan-'));
	let tarball = given ? path.resolve(given) : '';
	if (!tarball) {
		execFileSync('npm', ['pack', '--silent', '--pack-destination', work], { cwd: root });
		tarball = path.join(work, readdirSync(work).find((f) => f.endsWith('.tgz')) ?? '');
	}
	const unpacked = path.join(work, 'package');
	execFileSync('mkdir', ['-p', unpacked]);
	execFileSync('tar', ['-xzf', tarball, '-C', unpacked, '--strip-components=1']);
	return { work, unpacked };
}

/**
 * One leg of the scan with the scanner's own rule set (`buildScanConfig`) and file patterns, as
 * `analyzePackage` lints it; unlike `analyzePackage` (which fails on errors only) warnings count
 * too, because the project's rule is zero warnings.
 * @param {string} dir
 * @param {string[]} patterns
 */
async function scanLeg(dir, patterns) {
	const { ESLint } = await import(path.join(here, 'node_modules', 'eslint', 'lib', 'api.js'));
	const glob = (await import(path.join(here, 'node_modules', 'fast-glob', 'out', 'index.js')))
		.default;
	const eslint = new ESLint({
		cwd: dir,
		allowInlineConfig: false,
		overrideConfigFile: true,
		overrideConfig: await scanner.buildScanConfig(),
	});
	const files = glob.sync(patterns, {
		cwd: dir,
		absolute: true,
		ignore: ['node_modules/**', '**/package-lock.json'],
	});
	const results = await eslint.lintFiles(files);
	/** @param {'errorCount' | 'warningCount'} key */
	const count = (key) =>
		results.reduce((/** @type {number} */ sum, /** @type {any} */ r) => sum + r[key], 0);
	const errors = count('errorCount');
	const warnings = count('warningCount');
	const formatter = await eslint.loadFormatter('stylish');
	const text = errors + warnings > 0 ? await formatter.format(results) : '';
	return { files: files.length, errors, warnings, text };
}

/** Proves the scan can fail: a throwaway package whose node reads process.env and fs. */
async function scanDeliberateViolation() {
	const bad = path.join(work, 'deliberately-bad');
	mkdirSync(path.join(bad, 'nodes'), { recursive: true });
	writeFileSync(path.join(bad, 'package.json'), readFileSync(path.join(root, 'package.json')));
	writeFileSync(
		path.join(bad, 'nodes', 'Bad.node.ts'),
		"import fs from 'fs';\nexport const home = process.env.HOME;\nexport const read = fs.readFileSync;\n",
	);
	return (await scanLeg(bad, scanner.SOURCE_FILE_PATTERNS)).errors;
}

ensureScanner();
const scanner = await import(
	path.join(here, 'node_modules', '@n8n', 'scan-community-package', 'scanner', 'scanner.mjs')
);
const { work, unpacked } = unpackTarball(process.argv[2]);
try {
	/** @type {Array<[string, Awaited<ReturnType<typeof scanLeg>>]>} */
	const legs = [
		['source', await scanLeg(root, scanner.SOURCE_FILE_PATTERNS)],
		['tarball', await scanLeg(unpacked, ['**/*.js', 'package.json'])],
	];
	let problems = 0;
	for (const [leg, result] of legs) {
		console.log(
			`[scan] ${leg}: ${result.files} files, ${result.errors} errors, ${result.warnings} warnings`,
		);
		if (result.text) console.log(result.text);
		problems += result.errors + result.warnings;
	}
	const selfCheck = await scanDeliberateViolation();
	console.log(`[scan] self-check: a node reading process.env and fs drew ${selfCheck} errors`);
	if (selfCheck === 0) {
		console.log('[scan] FAILED: the scanner found nothing in a package written to fail it');
		problems += 1;
	}
	if (problems > 0) process.exitCode = 1;
	else console.log('[scan] n8n verification scanner: 0 errors, 0 warnings (source and tarball)');
} finally {
	rmSync(work, { recursive: true, force: true });
}
