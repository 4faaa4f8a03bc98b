import {useWindowSize} from 'ink';

/**
 * Every size on screen, from the window: the frame is exactly the window's height, so Ink never
 * scrolls (no flicker). Wide windows put the detail pane beside the list; narrow ones (80×24)
 * stack it below.
 */
export type Layout = {
	columns: number;
	rows: number;
	/** Rows between the title line and the status bar. */
	bodyRows: number;
	stacked: boolean;
	list: {width: number; height: number};
	detail: {width: number; height: number};
};

export function layoutFor(columns: number, rows: number): Layout {
	const width = Math.max(columns, 20);
	const height = Math.max(rows, 8);
	const bodyRows = height - 2;
	const stacked = width < 110;
	if (stacked) {
		const listHeight = Math.max(4, Math.ceil(bodyRows * 0.5));
		return {columns: width, rows: height, bodyRows, stacked, list: {width, height: listHeight}, detail: {width, height: bodyRows - listHeight}};
	}

	const detailWidth = Math.max(40, Math.floor(width * 0.4));
	return {columns: width, rows: height, bodyRows, stacked, list: {width: width - detailWidth, height: bodyRows}, detail: {width: detailWidth, height: bodyRows}};
}

export function useLayout(): Layout {
	const {columns, rows} = useWindowSize();
	return layoutFor(columns, rows);
}
