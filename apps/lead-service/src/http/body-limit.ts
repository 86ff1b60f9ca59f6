/** the largest JSON body a route takes; also the largest line of an import */
export const bodyLimitBytes = 256 * 1024;
