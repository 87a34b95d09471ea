#!/bin/sh
# Installs yolofleet-agent on a Raspberry Pi (Raspberry Pi OS bookworm, arm64 or armhf) or any systemd Linux.
#   sudo ./install.sh yolofleet-agent.jar device.conf publisher.pub.pem [more public keys...]
# Creates the yolofleet-agent user, /opt/yolofleet-agent, /etc/yolofleet-agent, /var/lib/yolofleet-agent, and enables the
# timer. Run it again to upgrade the jar or replace the configuration; installed releases are kept.
set -eu

if [ "$#" -lt 3 ]; then
    echo "usage: sudo $0 yolofleet-agent.jar device.conf publisher.pub.pem [more.pub.pem...]" >&2
    exit 2
fi
if [ "$(id -u)" -ne 0 ]; then
    echo "run as root (sudo $0 ...)" >&2
    exit 2
fi
jar=$1
conf=$2
shift 2
here=$(cd "$(dirname "$0")" && pwd)

if ! command -v java >/dev/null 2>&1; then
    echo "installing OpenJDK 17 (headless)"
    apt-get update && apt-get install -y openjdk-17-jre-headless
fi

if ! id yolofleet-agent >/dev/null 2>&1; then
    useradd --system --home-dir /var/lib/yolofleet-agent --shell /usr/sbin/nologin yolofleet-agent
fi
# the NCS/NCS2/OAK runtimes need the USB device group; harmless without one
if getent group plugdev >/dev/null 2>&1; then
    usermod -a -G plugdev yolofleet-agent
fi

install -d -m 0755 /opt/yolofleet-agent
install -m 0644 "$jar" /opt/yolofleet-agent/yolofleet-agent.jar
install -d -m 0750 -g yolofleet-agent /etc/yolofleet-agent /etc/yolofleet-agent/keys
install -m 0640 -g yolofleet-agent "$conf" /etc/yolofleet-agent/device.conf
for key in "$@"; do
    install -m 0644 "$key" /etc/yolofleet-agent/keys/
done
install -d -m 0750 -o yolofleet-agent -g yolofleet-agent /var/lib/yolofleet-agent

cat > /usr/local/bin/yolofleet-agent <<'WRAPPER'
#!/bin/sh
# the agent's command line as the agent's user: yolofleet-agent status | list | verify | rollback | sync
exec sudo -u yolofleet-agent env YOLOFLEET_AGENT_CONFIG=/etc/yolofleet-agent/device.conf \
    java -Xmx64m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -jar /opt/yolofleet-agent/yolofleet-agent.jar "$@"
WRAPPER
chmod 0755 /usr/local/bin/yolofleet-agent

install -m 0644 "$here/yolofleet-agent.service" "$here/yolofleet-agent.timer" /etc/systemd/system/
systemctl daemon-reload
systemctl enable --now yolofleet-agent.timer
echo "installed; first sync: sudo systemctl start yolofleet-agent.service && journalctl -u yolofleet-agent -n 20"
