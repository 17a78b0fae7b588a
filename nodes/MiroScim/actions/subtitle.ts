import type { INodeProperties, INodePropertyOptions } from 'n8n-workflow';

const optionsOf = (property: INodeProperties) =>
	(property.options ?? []).filter(
		(option): option is INodePropertyOptions => 'value' in option && 'name' in option,
	);

/**
 * "Update Members: Group" rather than "updateMembers: group": the canvas shows the words of the
 * panel's Resource and Operation lists. Built from those lists, so a renamed option renames its
 * subtitle too; an unknown pair falls back to the internal values.
 */
export function subtitleExpression(properties: INodeProperties[]): string {
	const resources = properties.find((property) => property.name === 'resource');
	const labels: Record<string, string> = {};
	for (const resource of resources ? optionsOf(resources) : []) {
		const operations = properties.find(
			(property) =>
				property.name === 'operation' &&
				property.displayOptions?.show?.resource?.includes(resource.value),
		);
		for (const operation of operations ? optionsOf(operations) : []) {
			labels[`${String(resource.value)}.${String(operation.value)}`] =
				`${operation.name}: ${resource.name}`;
		}
	}
	const key = '$parameter["resource"] + "." + $parameter["operation"]';
	const fallback = '$parameter["operation"] + ": " + $parameter["resource"]';
	return `={{ ${JSON.stringify(labels)}[${key}] || ${fallback} }}`;
}
