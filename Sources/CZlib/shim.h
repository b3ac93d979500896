// zlib from Debian's zlib1g-dev: inflate for .har.gz and zipped HAR files.
#include <zlib.h>
