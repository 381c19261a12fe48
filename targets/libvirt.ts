/**
 * libvirt domain descriptions generated for Xen and virtio unikernels, as starting points: the
 * network and block devices are described in comments for the user to fill in.
 * @module
 */

/** A libvirt Xen (ARM) domain running `<name>.xen`. */
export function xenLibvirtXml(name: string): string {
  return `<domain type='xen'>
    <name>${name}</name>
    <memory unit='KiB'>262144</memory>
    <currentMemory unit='KiB'>262144</currentMemory>
    <vcpu placement='static'>1</vcpu>
    <os>
        <type arch='armv7l' machine='xenpv'>linux</type>
        <kernel>${name}.xen</kernel>
        <cmdline> </cmdline>
    </os>
    <clock offset='utc' adjustment='reset'/>
    <on_crash>preserve</on_crash>
    <!--
    Network and block interfaces are not generated: describe them below.
    http://libvirt.org/drvxen.html explains how to convert an .xl file to libvirt XML.
    -->
    <devices>
        <!--
        A raw block device (http://libvirt.org/formatstorage.html), for example:
        <disk type='block' device='disk'>
            <driver name='phy'/>
            <source dev='/dev/loop0'/>
            <target dev='' bus='xen'/>
        </disk>
        -->
        <!--
        A bridged network interface (http://libvirt.org/formatnetwork.html), for example:
        <interface type='bridge'>
            <mac address='c0:ff:ee:c0:ff:ee'/>
            <source bridge='br0'/>
        </interface>
        -->
        <console type='pty'>
            <target type='xen' port='0'/>
        </console>
    </devices>
</domain>
`;
}

/** A libvirt KVM domain booting `<name>.virtio` with QEMU. */
export function virtioLibvirtXml(name: string): string {
  return `<domain type='kvm'>
    <name>${name}</name>
    <memory unit='KiB'>262144</memory>
    <currentMemory unit='KiB'>262144</currentMemory>
    <vcpu placement='static'>1</vcpu>
    <os>
        <type arch='x86_64' machine='pc'>hvm</type>
        <kernel>${name}.virtio</kernel>
        <!-- Boot arguments, if needed:
        <cmdline>-l *:debug</cmdline>
        -->
    </os>
    <clock offset='utc' adjustment='reset'/>
    <devices>
        <emulator>/usr/bin/qemu-system-x86_64</emulator>
        <!--
        A raw file of the host as a block device of the guest
        (https://libvirt.org/formatdomain.html#elementsDisks), for example:
        <disk type='file' device='disk'>
            <driver name='qemu' type='raw'/>
            <source file='/var/lib/libvirt/images/${name}.img'/>
            <target dev='vda' bus='virtio'/>
        </disk>
        -->
        <!--
        A network device on libvirt's default bridge
        (https://libvirt.org/formatdomain.html#elementsNICS), for example:
        <interface type='bridge'>
            <source bridge='virbr0'/>
            <model type='virtio'/>
            <alias name='0'/>
        </interface>
        -->
        <serial type='pty'>
            <target port='0'/>
        </serial>
        <console type='pty'>
            <target type='serial' port='0'/>
        </console>
        <memballoon model='none'/>
    </devices>
</domain>
`;
}
