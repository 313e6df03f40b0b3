; Inno Setup script for VdM Box Office (Windows installer, per-user, no administrator rights).
;
;   python resources/translations/build.py --compile
;   python -m PyInstaller --noconfirm --distpath dist --workpath build/pyinstaller packaging/boxoffice.spec
;   iscc /DAppVersion=0.1.0 packaging\windows\boxoffice.iss
;
; Input: the one-folder bundle dist\vdm-boxoffice\ made by packaging/boxoffice.spec.
; Output: dist\vdm-boxoffice-<version>-windows-x64-setup.exe
; AppVersion comes from boxoffice/__init__.py (the release workflow passes it with /D); without
; /DAppVersion the version resource of the built vdm-boxoffice.exe is used (set by the spec).
;
; Where things live:
;   program      %LOCALAPPDATA%\Programs\VdM Box Office   (this installer; replaced on upgrade)
;   settings, offline cache, sale journal, logs
;                %LOCALAPPDATA%\vdm-boxoffice             (platformdirs, written by the app)
;   API keys     Windows Credential Manager, entries "vdm-boxoffice"
; The user data is outside the install folder on purpose: upgrading (running a newer setup.exe,
; which installs in place over the same AppId) and uninstalling never touch it, so venue
; profiles and unfinished sales survive both. To remove everything, also delete
; %LOCALAPPDATA%\vdm-boxoffice and the "vdm-boxoffice" credentials.

#define AppName "VdM Box Office"
#define AppExeName "vdm-boxoffice.exe"
#define BundleDir "..\..\dist\vdm-boxoffice"
#ifndef AppVersion
  #define AppVersion GetVersionNumbersString(AddBackslash(SourcePath) + BundleDir + "\" + AppExeName)
#endif

[Setup]
; NEVER change AppId: Windows recognises an upgrade (install in place, same uninstaller entry)
; by it. The doubled brace escapes the literal "{".
AppId={{6F0C2B7E-5D1A-4C39-9E4B-8A2F7C1D3E95}
AppName={#AppName}
AppVersion={#AppVersion}
AppVerName={#AppName} {#AppVersion}
AppPublisher=VdM Box Office
; Per-user install: no UAC prompt; Start menu entry and uninstaller for this user only.
PrivilegesRequired=lowest
DefaultDirName={localappdata}\Programs\{#AppName}
DefaultGroupName={#AppName}
DisableProgramGroupPage=yes
UsePreviousAppDir=yes
; Qt 6 needs 64-bit Windows 10 or later.
MinVersion=10.0
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
; Upgrade while the app is open: ask to close it first (the app shuts down in order).
CloseApplications=yes
RestartApplications=no
SetupIconFile=..\..\resources\icons\boxoffice.ico
UninstallDisplayIcon={app}\{#AppExeName}
UninstallDisplayName={#AppName}
OutputDir=..\..\dist
OutputBaseFilename=vdm-boxoffice-{#AppVersion}-windows-x64-setup
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern
ShowLanguageDialog=auto

[Languages]
Name: "english"; MessagesFile: "compiler:Default.isl"
Name: "dutch"; MessagesFile: "compiler:Languages\Dutch.isl"

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked

[InstallDelete]
; Upgrade in place: drop the previous version's libraries so no stale module is left behind.
; Only the program folder is cleaned; user data lives elsewhere (see the top of this file).
Type: filesandordirs; Name: "{app}\_internal"

[Files]
Source: "{#BundleDir}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{autoprograms}\{#AppName}"; Filename: "{app}\{#AppExeName}"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\{#AppExeName}"; Tasks: desktopicon

[Run]
Filename: "{app}\{#AppExeName}"; Description: "{cm:LaunchProgram,{#AppName}}"; Flags: nowait postinstall skipifsilent

; No [UninstallDelete] for user data, deliberately: uninstalling keeps the settings and the
; sale journal (a reinstall picks them up). The uninstaller removes only what it installed.
