// libpcap (Debian's libpcap-dev), for live capture. Capture files are read by Crumbs' own reader.
#include <pcap/pcap.h>
