import { NodeOperationError } from 'n8n-workflow';
import type { IExecuteFunctions } from 'n8n-workflow';

/**
 * Good enough to catch typos and empty cells before Miro sees them; Miro has the last word.
 * Quotes and backslashes pass (RFC 5321 allows them in a quoted local part): filters escape
 * them as JSON strings, and the "By Email" locator accepts them too.
 */
export const EMAIL_PATTERN = '^[^\\s@]+@[^\\s@]+\\.[^\\s@]+$';
const EMAIL = new RegExp(EMAIL_PATTERN);

/**
 * What the panel need not flag: nothing typed yet, an expression (it starts with "="; its value
 * is checked at run time) or a value EMAIL_PATTERN accepts. n8n's displayOptions test it.
 */
export const EMAIL_OR_EXPRESSION_PATTERN = `^(?:$|=|${EMAIL_PATTERN.slice(1)})`;

export function fieldError(
	ctx: IExecuteFunctions,
	itemIndex: number,
	field: string,
	problem: string,
	fix: string,
): NodeOperationError {
	return new NodeOperationError(ctx.getNode(), `${field}: ${problem}`, {
		itemIndex,
		description: fix,
	});
}

export function requireEmail(
	ctx: IExecuteFunctions,
	itemIndex: number,
	field: string,
	value: unknown,
): string {
	const email = typeof value === 'string' ? value.trim() : '';
	if (email === '') {
		throw fieldError(
			ctx,
			itemIndex,
			field,
			'is empty',
			`Enter the user's email address in "${field}", or map it from the input with an expression.`,
		);
	}
	if (!EMAIL.test(email)) {
		throw fieldError(
			ctx,
			itemIndex,
			field,
			`"${email}" is not an email address`,
			`Miro identifies users by email (userName). Use an address like name@company.com in "${field}".`,
		);
	}
	return email;
}

export function requireText(
	ctx: IExecuteFunctions,
	itemIndex: number,
	field: string,
	value: unknown,
	maxLength?: number,
): string {
	const text =
		typeof value === 'string'
			? value.trim()
			: value === undefined || value === null
				? ''
				: String(value).trim();
	if (text === '') {
		throw fieldError(
			ctx,
			itemIndex,
			field,
			'is empty',
			`Enter a value for "${field}" or map one from the input.`,
		);
	}
	return checkLength(ctx, itemIndex, field, text, maxLength);
}

export function checkLength(
	ctx: IExecuteFunctions,
	itemIndex: number,
	field: string,
	text: string,
	maxLength?: number,
): string {
	if (maxLength !== undefined && text.length > maxLength) {
		throw fieldError(
			ctx,
			itemIndex,
			field,
			`is ${text.length} characters long; Miro accepts at most ${maxLength}`,
			`Shorten "${field}" to ${maxLength} characters or fewer.`,
		);
	}
	return text;
}

/** SCIM ids go into the URL path: anything that could leave the path segment is refused. */
export function requireId(
	ctx: IExecuteFunctions,
	itemIndex: number,
	field: string,
	value: unknown,
): string {
	const id =
		typeof value === 'number' ? String(value) : typeof value === 'string' ? value.trim() : '';
	if (id === '') {
		throw fieldError(
			ctx,
			itemIndex,
			field,
			'is empty',
			`Enter the ID, or choose "By Email"/"By Name" or "From List" instead.`,
		);
	}
	if (/[/?#\s%\\]/.test(id)) {
		throw fieldError(
			ctx,
			itemIndex,
			field,
			`"${id}" is not a valid ID`,
			'Miro IDs are long numbers such as 3074457345618261605; copy the ID from a previous Miro SCIM step.',
		);
	}
	if (typeof value === 'number' && !Number.isSafeInteger(value)) {
		throw fieldError(
			ctx,
			itemIndex,
			field,
			`${id} lost precision as a number`,
			"Miro IDs exceed JavaScript's safe integer range; pass them as strings, e.g. {{ $json.id }} from a Miro SCIM step, not a number.",
		);
	}
	return id;
}
